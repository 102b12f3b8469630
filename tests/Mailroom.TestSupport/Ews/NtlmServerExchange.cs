using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// The server side of one NTLMv2 exchange (MS-NLMP 3.2.5): answers a NEGOTIATE_MESSAGE with a CHALLENGE_MESSAGE (a
/// random server challenge and target info with a timestamp), then checks the AUTHENTICATE_MESSAGE's NTProofStr
/// against the expected user and password (NTOWFv2 over MD4 of the password). Nothing is accepted that a real
/// Exchange would refuse on the password; MIC and channel bindings are not checked (Exchange's EPA is off by default).
/// </summary>
public sealed class NtlmServerExchange(string user, string password, string domain)
{
    private const uint Unicode = 0x1, RequestTarget = 0x4, Sign = 0x10, Seal = 0x20, Ntlm = 0x200, AlwaysSign = 0x8000, TargetTypeDomain = 0x10000,
        ExtendedSessionSecurity = 0x80000, TargetInfo = 0x800000, Version = 0x2000000, Key128 = 0x20000000, KeyExchange = 0x40000000, Key56 = 0x80000000;

    private static ReadOnlySpan<byte> Signature => "NTLMSSP\0"u8;

    private readonly byte[] _serverChallenge = RandomNumberGenerator.GetBytes(8);

    /// <summary>The user name the client authenticated as, once <see cref="Authenticate"/> succeeded.</summary>
    public string? AuthenticatedUser { get; private set; }

    /// <returns>The CHALLENGE_MESSAGE, or null when <paramref name="negotiate"/> is not a NEGOTIATE_MESSAGE.</returns>
    public byte[]? Challenge(byte[] negotiate)
    {
        if (MessageType(negotiate) != 1 || negotiate.Length < 16)
            return null;
        var clientFlags = BinaryPrimitives.ReadUInt32LittleEndian(negotiate.AsSpan(12));
        var flags = (clientFlags & (Unicode | Sign | Seal | ExtendedSessionSecurity | Key128 | Key56 | KeyExchange | Version))
            | Unicode | Ntlm | AlwaysSign | TargetTypeDomain | TargetInfo | RequestTarget;
        var target = Encoding.Unicode.GetBytes(domain);
        var info = new MemoryStream();
        AvPair(info, 2, Encoding.Unicode.GetBytes(domain));        // MsvAvNbDomainName
        AvPair(info, 1, Encoding.Unicode.GetBytes("EXCHANGE"));    // MsvAvNbComputerName
        AvPair(info, 7, BitConverter.GetBytes(DateTime.UtcNow.ToFileTimeUtc())); // MsvAvTimestamp
        AvPair(info, 0, []);                                       // MsvAvEOL
        var targetInfo = info.ToArray();

        var message = new byte[56 + target.Length + targetInfo.Length];
        Signature.CopyTo(message);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), 2);
        Field(message, 12, target.Length, 56);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), flags);
        _serverChallenge.CopyTo(message.AsSpan(24));
        Field(message, 40, targetInfo.Length, 56 + target.Length);
        ((byte[])[10, 0, 0x4f, 0x46, 0, 0, 0, 15]).CopyTo(message.AsSpan(48)); // version 10.0.17999, NTLM revision 15
        target.CopyTo(message.AsSpan(56));
        targetInfo.CopyTo(message.AsSpan(56 + target.Length));
        return message;
    }

    /// <summary>True when <paramref name="authenticate"/> proves knowledge of the password for the expected user.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "MS-NLMP defines NTLMv2 with HMAC-MD5; a fake server must compute what the client did.")]
    public bool Authenticate(byte[] authenticate)
    {
        if (MessageType(authenticate) != 3 || authenticate.Length < 64)
            return false;
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(authenticate.AsSpan(60));
        var text = (flags & Unicode) != 0 ? Encoding.Unicode : Encoding.ASCII;
        var nt = GetField(authenticate, 20);
        var clientDomain = text.GetString(GetField(authenticate, 28));
        var clientUser = text.GetString(GetField(authenticate, 36));
        if (nt.Length <= 24 || !string.Equals(clientUser, user, StringComparison.OrdinalIgnoreCase))
            return false; // 24 bytes would be NTLMv1, which Exchange is configured to refuse

        // NTOWFv2 = HMAC-MD5(MD4(UNICODE(password)), UNICODE(Upper(user) + domain)); NTProofStr = HMAC-MD5(NTOWFv2, challenge + blob).
        var ntowf = HMACMD5.HashData(Md4.Hash(Encoding.Unicode.GetBytes(password)), Encoding.Unicode.GetBytes(clientUser.ToUpperInvariant() + clientDomain));
        var proof = HMACMD5.HashData(ntowf, (byte[])[.. _serverChallenge, .. nt.AsSpan(16)]);
        if (!CryptographicOperations.FixedTimeEquals(proof, nt.AsSpan(0, 16)))
            return false;
        AuthenticatedUser = clientUser;
        return true;
    }

    private static uint MessageType(byte[] message) =>
        message.Length >= 12 && message.AsSpan(0, 8).SequenceEqual(Signature) ? BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8)) : 0;

    private static byte[] GetField(byte[] message, int at)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(at));
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at + 4));
        return offset + length <= message.Length ? message.AsSpan((int)offset, length).ToArray() : [];
    }

    private static void Field(byte[] message, int at, int length, int offset)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at), (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at + 2), (ushort)length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(at + 4), (uint)offset);
    }

    private static void AvPair(MemoryStream stream, ushort id, byte[] value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, id);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)value.Length);
        stream.Write(header);
        stream.Write(value);
    }
}
