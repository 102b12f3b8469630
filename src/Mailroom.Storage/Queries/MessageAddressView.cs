namespace Mailroom.Storage.Queries;

/// <summary>One address of a message, in header order.</summary>
public sealed record MessageAddressView(string Role, string? Name, string Address);
