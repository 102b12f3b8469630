using Mailroom.Core.Connectors;

namespace Mailroom.Core.Import;

/// <summary>One message read from a local archive.</summary>
/// <param name="Folder">The folder it goes to: the mbox file's or the directory's name.</param>
/// <param name="Raw">The message's bytes.</param>
/// <param name="Flags">Flags the archive records (Maildir's <c>:2,</c> suffix), else none.</param>
/// <param name="ReceivedAt">When it arrived, where the archive says (a file's modification time), else null.</param>
/// <param name="Source">Where it was read, for error messages.</param>
public sealed record ArchiveItem(string Folder, ReadOnlyMemory<byte> Raw, MessageFlags Flags, DateTimeOffset? ReceivedAt, string Source);
