module github.com/uvpipe/uvpipe

go 1.24
