module leakprobe/examples

go 1.19
