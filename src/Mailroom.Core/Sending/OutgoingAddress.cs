namespace Mailroom.Core.Sending;

/// <summary>A recipient or sender: an addr-spec with an optional display name (any script; encoded when written).</summary>
public sealed record OutgoingAddress(string Address, string? Name = null)
{
    public override string ToString() => Name is { Length: > 0 } ? $"{Name} <{Address}>" : Address;
}
