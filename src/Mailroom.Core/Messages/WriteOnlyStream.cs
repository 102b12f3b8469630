namespace Mailroom.Core.Messages;

/// <summary>
/// What MimeKit needs of a stream it decodes into (<see cref="CountingStream"/>, <see cref="PooledBufferStream"/>):
/// writes only, forward only, so the position is always the length written. A subclass stores or counts the bytes.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => true;

    public sealed override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public abstract override void WriteByte(byte value);

    public sealed override void Flush()
    {
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
