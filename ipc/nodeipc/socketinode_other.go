//go:build !linux

package nodeipc

// socketInode: received sockets are not followed here (see socketList).
func socketInode(int) (uint64, bool) { return 0, false }

func openSocketInodes() (map[uint64]bool, bool) { return nil, false }
