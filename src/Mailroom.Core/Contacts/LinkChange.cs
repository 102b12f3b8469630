namespace Mailroom.Core.Contacts;

/// <summary>What re-linking a contact changed.</summary>
/// <param name="Linked">Messages linked that were not before (or whose roles changed).</param>
/// <param name="Unlinked">Links removed because no address of the contact appears in the message any more.</param>
public sealed record LinkChange(int Linked, int Unlinked);
