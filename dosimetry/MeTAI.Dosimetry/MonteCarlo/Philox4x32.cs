using System.Runtime.CompilerServices;

namespace MeTAI.Dosimetry.MonteCarlo;

/// <summary>
/// Philox4x32-10 counter-based random numbers (Salmon, Moraes, Dror &amp; Shaw, "Parallel random numbers: as easy as
/// 1, 2, 3", SC'11; the Random123 library). A history's stream is fixed by the key (the seed) and the high counter
/// words (the global history index), so the numbers a history sees do not depend on which thread or device runs it.
/// Usable inside ILGPU kernels: a plain struct, no arrays, no allocation.
/// </summary>
public struct Philox4x32
{
    private const uint M0 = 0xD2511F53u;
    private const uint M1 = 0xCD9E8D57u;
    private const uint W0 = 0x9E3779B9u;
    private const uint W1 = 0xBB67AE85u;

    private readonly uint _k0;
    private readonly uint _k1;
    private readonly uint _streamLo;
    private readonly uint _streamHi;
    private uint _block;
    private uint _r0;
    private uint _r1;
    private uint _r2;
    private uint _r3;
    private int _pos;

    /// <summary>A stream for history <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public Philox4x32(ulong seed, ulong stream)
    {
        _k0 = (uint)seed;
        _k1 = (uint)(seed >> 32);
        _streamLo = (uint)stream;
        _streamHi = (uint)(stream >> 32);
        _block = 0;
        _r0 = _r1 = _r2 = _r3 = 0;
        _pos = 4;
    }

    /// <summary>
    /// The raw Philox4x32-10 bijection: encrypts counter (c0..c3) under key (k0, k1). Exposed for the known-answer test.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Encrypt(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }

            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0;
            uint hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            uint n0 = hi1 ^ c1 ^ k0;
            uint n2 = hi0 ^ c3 ^ k1;
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
        }
    }

    /// <summary>Next 32 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt()
    {
        if (_pos >= 4)
        {
            uint c0 = _block, c1 = 0, c2 = _streamLo, c3 = _streamHi;
            Encrypt(ref c0, ref c1, ref c2, ref c3, _k0, _k1);
            _r0 = c0;
            _r1 = c1;
            _r2 = c2;
            _r3 = c3;
            _block++;
            _pos = 0;
        }

        int p = _pos++;
        return p == 0 ? _r0 : p == 1 ? _r1 : p == 2 ? _r2 : _r3;
    }

    /// <summary>Uniform float in (0, 1] (never zero, so −ln u is finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => ((NextUInt() >> 8) + 1u) * (1.0f / 16777216.0f);
}
