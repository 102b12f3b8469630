namespace Mailroom.Core.Messages;

/// <summary>A write-only stream that only counts what is written: decoded sizes without holding the bytes.</summary>
internal sealed class CountingStream : WriteOnlyStream
{
    private long length;

    public override long Length => length;

    public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;

    public override void WriteByte(byte value) => length++;
}
