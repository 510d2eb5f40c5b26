/* Stand-in for Windows' bcryptprimitives.dll!ProcessPrng (Windows 10 and later; Wine 8 lacks the
 * export). TEST INFRASTRUCTURE ONLY, for the Windows lane under Wine (tests/windows/lane.sh): it goes
 * into the Wine prefix's system32, never into the frozen folder or the MSI.
 * Rust's standard library (inside typst's and cryptography's extension modules) draws its random
 * bytes from ProcessPrng; this forwards to RtlGenRandom (advapi32!SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
