// The Feed service's gRPC glue, as protoc-gen-go-grpc would write it (Debian ships no
// protoc-gen-go-grpc for google.golang.org/protobuf's generated code).
package main

import (
	"bytes"
	"compress/gzip"
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
)

type feedServer interface {
	Get(context.Context, *GetRequest) (*Item, error)
	Follow(*FollowRequest, Feed_FollowServer) error
	Upload(Feed_UploadServer) error
	Chat(Feed_ChatServer) error
	GetStats(context.Context, *StatsRequest) (*Stats, error)
}

type Feed_FollowServer interface {
	Send(*Item) error
	grpc.ServerStream
}

type Feed_UploadServer interface {
	SendAndClose(*Summary) error
	Recv() (*Item, error)
	grpc.ServerStream
}

type Feed_ChatServer interface {
	Send(*Item) error
	Recv() (*Item, error)
	grpc.ServerStream
}

type stream struct{ grpc.ServerStream }

func (s stream) Send(m *Item) error            { return s.ServerStream.SendMsg(m) }
func (s stream) SendAndClose(m *Summary) error { return s.ServerStream.SendMsg(m) }
func (s stream) Recv() (*Item, error) {
	m := new(Item)
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return nil, err
	}
	return m, nil
}

type methodHandler = func(srv interface{}, ctx context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error)

func unary[Req any, Resp any](call func(feedServer, context.Context, *Req) (*Resp, error)) methodHandler {
	return func(srv interface{}, ctx context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
		in := new(Req)
		if err := dec(in); err != nil {
			return nil, err
		}
		return call(srv.(feedServer), ctx, in)
	}
}

func registerFeed(s *grpc.Server, f feedServer) {
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "feed.v1.Feed",
		HandlerType: (*feedServer)(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "Get", Handler: unary(feedServer.Get)},
			{MethodName: "GetStats", Handler: unary(feedServer.GetStats)},
		},
		Streams: []grpc.StreamDesc{
			{StreamName: "Follow", ServerStreams: true, Handler: func(srv interface{}, s grpc.ServerStream) error {
				m := new(FollowRequest)
				if err := s.RecvMsg(m); err != nil {
					return err
				}
				return srv.(feedServer).Follow(m, stream{s})
			}},
			{StreamName: "Upload", ClientStreams: true, Handler: func(srv interface{}, s grpc.ServerStream) error {
				return srv.(feedServer).Upload(stream{s})
			}},
			{StreamName: "Chat", ServerStreams: true, ClientStreams: true, Handler: func(srv interface{}, s grpc.ServerStream) error {
				return srv.(feedServer).Chat(stream{s})
			}},
		},
		Metadata: gzippedDescriptor(),
	}, f)
}

// gzippedDescriptor is feed.proto's FileDescriptorProto as the reflection service of grpc 1.33
// reads a service's Metadata when it is bytes (it finds a file name only in
// github.com/golang/protobuf 1.3's registry, where feed.pb.go is not).
func gzippedDescriptor() []byte {
	raw, err := proto.Marshal(protodesc.ToFileDescriptorProto(File_feed_proto))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(raw)
	w.Close()
	return buf.Bytes()
}
