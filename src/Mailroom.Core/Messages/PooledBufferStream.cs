using System.Buffers;

namespace Mailroom.Core.Messages;

/// <summary>
/// A write-only stream over a buffer rented from <see cref="ArrayPool{T}"/>: text parts are decoded into it and turned
/// into a string once, without a fresh array per part. Dispose returns the buffer.
/// </summary>
internal sealed class PooledBufferStream : WriteOnlyStream
{
    private byte[] buffer;
    private int length;

    public PooledBufferStream(int initialCapacity = 4096)
    {
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>The bytes written so far; valid until the next write or dispose.</summary>
    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, length);

    /// <summary>The bytes written so far; valid until the next write or dispose.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, length);

    public override long Length => length;

    public override void Write(ReadOnlySpan<byte> source)
    {
        EnsureCapacity(source.Length);
        source.CopyTo(buffer.AsSpan(length));
        length += source.Length;
    }

    public override void WriteByte(byte value)
    {
        EnsureCapacity(1);
        buffer[length++] = value;
    }

    /// <summary>Copies a whole stream in, reading straight into the pooled buffer.</summary>
    public void ReadFrom(Stream source)
    {
        while (true)
        {
            EnsureCapacity(4096);
            var read = source.Read(buffer, length, buffer.Length - length);
            if (read <= 0)
                return;
            length += read;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            length = 0;
        }

        base.Dispose(disposing);
    }

    private void EnsureCapacity(int extra)
    {
        if (buffer.Length - length >= extra)
            return;

        var needed = (long)length + extra;
        if (needed > Array.MaxLength)
            throw new IOException("The content is too large to decode into memory.");

        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, (long)buffer.Length * 2)));
        buffer.AsSpan(0, length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = grown;
    }
}
