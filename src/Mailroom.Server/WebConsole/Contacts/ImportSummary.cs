using Mailroom.Core.Contacts;

namespace Mailroom.Server.WebConsole.Contacts;

/// <summary>What a CSV import came to: contacts saved, links made, and each rejected row with its line number and why.</summary>
internal sealed record ImportSummary(string FileName, int Created, int Updated, int Linked, int Unlinked, IReadOnlyList<ContactCsv.Row> Rejected);
