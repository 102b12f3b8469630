using Mailroom.Core.Sync;

namespace Mailroom.Core.Connectors;

/// <summary>A folder as the server lists it.</summary>
/// <param name="Path">The full path, decoded (modified UTF-7 already undone).</param>
/// <param name="Delimiter">The hierarchy delimiter, or null for a flat namespace.</param>
/// <param name="Role">The role from SPECIAL-USE, or <see cref="FolderRole.None"/> when the server gave none.</param>
/// <param name="CanSelect">False for \Noselect and \NonExistent folders, which hold no messages.</param>
public sealed record RemoteFolder(string Path, char? Delimiter, FolderRole Role, bool CanSelect);
