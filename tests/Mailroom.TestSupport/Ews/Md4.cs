using System.Buffers.Binary;
using System.Numerics;

namespace Mailroom.TestSupport.Ews;

/// <summary>MD4 (RFC 1320), which .NET does not offer and NTLM's NT hash needs. For the fake NTLM server only.</summary>
public static class Md4
{
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var padded = new byte[((data.Length + 8) / 64 + 1) * 64];
        data.CopyTo(padded);
        padded[data.Length] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(padded.AsSpan(padded.Length - 8), (ulong)data.Length * 8);
        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        Span<uint> x = stackalloc uint[16];
        for (var block = 0; block < padded.Length; block += 64)
        {
            for (var i = 0; i < 16; i++)
                x[i] = BinaryPrimitives.ReadUInt32LittleEndian(padded.AsSpan(block + i * 4));
            var (aa, bb, cc, dd) = (a, b, c, d);
            foreach (var i in (int[])[0, 4, 8, 12])
            {
                a = BitOperations.RotateLeft(a + ((b & c) | (~b & d)) + x[i], 3);
                d = BitOperations.RotateLeft(d + ((a & b) | (~a & c)) + x[i + 1], 7);
                c = BitOperations.RotateLeft(c + ((d & a) | (~d & b)) + x[i + 2], 11);
                b = BitOperations.RotateLeft(b + ((c & d) | (~c & a)) + x[i + 3], 19);
            }
            foreach (var i in (int[])[0, 1, 2, 3])
            {
                a = BitOperations.RotateLeft(a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5a827999, 3);
                d = BitOperations.RotateLeft(d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5a827999, 5);
                c = BitOperations.RotateLeft(c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5a827999, 9);
                b = BitOperations.RotateLeft(b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5a827999, 13);
            }
            foreach (var i in (int[])[0, 2, 1, 3])
            {
                a = BitOperations.RotateLeft(a + (b ^ c ^ d) + x[i] + 0x6ed9eba1, 3);
                d = BitOperations.RotateLeft(d + (a ^ b ^ c) + x[i + 8] + 0x6ed9eba1, 9);
                c = BitOperations.RotateLeft(c + (d ^ a ^ b) + x[i + 4] + 0x6ed9eba1, 11);
                b = BitOperations.RotateLeft(b + (c ^ d ^ a) + x[i + 12] + 0x6ed9eba1, 15);
            }
            (a, b, c, d) = (a + aa, b + bb, c + cc, d + dd);
        }
        var hash = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(hash, a);
        BinaryPrimitives.WriteUInt32LittleEndian(hash.AsSpan(4), b);
        BinaryPrimitives.WriteUInt32LittleEndian(hash.AsSpan(8), c);
        BinaryPrimitives.WriteUInt32LittleEndian(hash.AsSpan(12), d);
        return hash;
    }
}
