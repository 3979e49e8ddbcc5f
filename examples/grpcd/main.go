// grpcd is the example gRPC server of leakprobe's grpc step: a Feed service (feed.proto)
// with one method of each kind, server reflection, and pprof on a separate HTTP address.
// With -leaky, Follow and Chat start helper goroutines that ignore the stream's context, so
// a client that leaves (cancel, close, reset, stall) strands one goroutine per call; without
// it they are the fixed twins. GetStats says how many streams the server saw cancelled.
//
//	grpcd -grpc 127.0.0.1:7070 -http 127.0.0.1:7071 [-leaky] [-tls-cert cert.pem -tls-key key.pem]
//
// Built in GOPATH mode against Debian's Go packages (google.golang.org/grpc 1.33 and
// google.golang.org/protobuf under /usr/share/gocode): there is no module proxy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	protov1 "github.com/golang/protobuf/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/reflection"
	"google.golang.org/protobuf/proto"
)

// codec marshals feed.pb.go's messages with google.golang.org/protobuf: Debian's grpc 1.33
// would use github.com/golang/protobuf 1.3, which predates that generated code. The
// reflection service's own messages are 1.3's.
type codec struct{}

func (codec) Marshal(v interface{}) ([]byte, error) {
	if m, ok := v.(proto.Message); ok {
		return proto.Marshal(m)
	}
	return protov1.Marshal(v.(protov1.Message))
}

func (codec) Unmarshal(data []byte, v interface{}) error {
	if m, ok := v.(proto.Message); ok {
		return proto.Unmarshal(data, m)
	}
	return protov1.Unmarshal(data, v.(protov1.Message))
}

func (codec) Name() string { return "proto" }

type feed struct {
	leaky     bool
	cancelled int64
	active    int64
	conns     connEnds
}

// connEnds counts how client connections ended, as the server's first failed read or write
// saw it: a FIN reads as EOF, an RST as ECONNRESET. What a test checks the client did on
// the wire.
type connEnds struct{ eof, reset int64 }

type countingListener struct {
	net.Listener
	ends *connEnds
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, ends: l.ends}, nil
}

type countingConn struct {
	net.Conn
	ends *connEnds
	once sync.Once
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.end(err)
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.end(err)
	return n, err
}

// end counts the connection's first error: EOF is a FIN; ECONNRESET, or EPIPE on a write
// after one, is an RST.
func (c *countingConn) end(err error) {
	if err == nil {
		return
	}
	c.once.Do(func() {
		if err == io.EOF {
			atomic.AddInt64(&c.ends.eof, 1)
		} else if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
			atomic.AddInt64(&c.ends.reset, 1)
		}
	})
}

// track counts the stream while it runs, and whether it ended because its client left (an
// error: these handlers return one only when the stream broke or was cancelled). The error,
// not ctx.Err(), decides: a Send that fails may return before the context is cancelled.
func (f *feed) track(err *error) func() {
	atomic.AddInt64(&f.active, 1)
	return func() {
		atomic.AddInt64(&f.active, -1)
		if *err != nil {
			atomic.AddInt64(&f.cancelled, 1)
		}
	}
}

func (f *feed) Get(ctx context.Context, req *GetRequest) (*Item, error) {
	return &Item{Key: req.Key, Text: "value of " + req.Key, Seq: 1}, nil
}

// produce sends items on out until ctx ends; the leaky one never looks at ctx, so once the
// handler stops receiving it blocks on its send forever.
func (f *feed) produce(ctx context.Context, key string, interval time.Duration, out chan<- *Item) {
	for seq := int64(1); ; seq++ {
		item := &Item{Key: key, Text: fmt.Sprintf("item %d of %s", seq, key), Seq: seq}
		if f.leaky {
			out <- item
		} else {
			select {
			case out <- item:
			case <-ctx.Done():
				return
			}
		}
		if interval > 0 {
			time.Sleep(interval)
		}
	}
}

func (f *feed) Follow(req *FollowRequest, stream Feed_FollowServer) (err error) {
	ctx := stream.Context()
	defer f.track(&err)()
	items := make(chan *Item)
	go f.produce(ctx, req.Key, time.Duration(req.IntervalMs)*time.Millisecond, items)
	for {
		select {
		case item := <-items:
			if err = stream.Send(item); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (f *feed) Upload(stream Feed_UploadServer) (err error) {
	defer f.track(&err)()
	var n int64
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&Summary{Count: n})
		}
		if err != nil {
			return err
		}
		n++
	}
}

// Chat echoes each item through a sender goroutine; the leaky sender waits on its channel
// without the stream's context, and nobody closes the channel when the client leaves.
func (f *feed) Chat(stream Feed_ChatServer) (err error) {
	ctx := stream.Context()
	defer f.track(&err)()
	out := make(chan *Item)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			var item *Item
			if f.leaky {
				item = <-out
			} else {
				select {
				case item = <-out:
				case <-ctx.Done():
					return
				}
			}
			if item == nil {
				return
			}
			if err := stream.Send(item); err != nil && !f.leaky {
				return
			}
		}
	}()
	for {
		item, err := stream.Recv()
		if err == io.EOF {
			close(out)
			<-done
			return nil
		}
		if err != nil {
			return err
		}
		item.Text = "echo: " + item.Text
		select {
		case out <- item:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (f *feed) GetStats(ctx context.Context, _ *StatsRequest) (*Stats, error) {
	return &Stats{Cancelled: atomic.LoadInt64(&f.cancelled), Active: atomic.LoadInt64(&f.active),
		EofConns: atomic.LoadInt64(&f.conns.eof), ResetConns: atomic.LoadInt64(&f.conns.reset)}, nil
}

func main() {
	grpcAddr := flag.String("grpc", "127.0.0.1:7070", "gRPC address (h2c), or unix:/path.sock")
	httpAddr := flag.String("http", "127.0.0.1:7071", "pprof address")
	leaky := flag.Bool("leaky", false, "plant the stream leaks")
	cert := flag.String("tls-cert", "", "serve TLS with this certificate (PEM) and -tls-key")
	key := flag.String("tls-key", "", "the certificate's key (PEM)")
	flag.Parse()
	encoding.RegisterCodec(codec{})

	// pprof listens first: a ready probe that connects to the gRPC address finds both up.
	httpLis, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		log.Fatal(err)
	}
	go func() { log.Fatal(http.Serve(httpLis, nil)) }()

	network, addr := "tcp", *grpcAddr
	if len(addr) > 5 && addr[:5] == "unix:" {
		network, addr = "unix", addr[5:]
	}
	lis, err := net.Listen(network, addr)
	if err != nil {
		log.Fatal(err)
	}
	var options []grpc.ServerOption
	if *cert != "" {
		creds, err := credentials.NewServerTLSFromFile(*cert, *key)
		if err != nil {
			log.Fatal(err)
		}
		options = append(options, grpc.Creds(creds))
	}
	server := grpc.NewServer(options...)
	f := &feed{leaky: *leaky}
	registerFeed(server, f)
	reflection.Register(server)
	log.Printf("grpcd listening on %s (leaky=%v)", *grpcAddr, *leaky)
	log.Fatal(server.Serve(countingListener{lis, &f.conns}))
}
