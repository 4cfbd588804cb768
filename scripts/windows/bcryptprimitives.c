// bcryptprimitives.c — a stand-in for Windows' bcryptprimitives.dll, which
// Wine 8 lacks: Go's Windows runtime and bun.exe call its ProcessPrng for
// random bytes. This one asks BCryptGenRandom for them (the system's
// preferred generator). Built by scripts/windows-stage.sh into the Wine
// prefix only; it is never shipped.
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
