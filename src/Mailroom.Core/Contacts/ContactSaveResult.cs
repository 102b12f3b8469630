namespace Mailroom.Core.Contacts;

/// <summary>The outcome of writing a contact.</summary>
/// <param name="Contact">The contact as stored.</param>
/// <param name="Created">True when the external id was new in the organization.</param>
/// <param name="Links">How its links changed.</param>
/// <param name="AddedAddresses">Addresses the contact did not have before: the server backfill looks only for these.</param>
public sealed record ContactSaveResult(Contact Contact, bool Created, LinkChange Links, IReadOnlyList<string> AddedAddresses);
