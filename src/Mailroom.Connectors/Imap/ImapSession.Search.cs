using System.Globalization;
using Mailroom.Core.Connectors;
using MailKit.Search;

namespace Mailroom.Connectors.Imap;

/// <summary>Searching by address, for fetching what privacy scope skipped once a contact needs it.</summary>
internal sealed partial class ImapSession : IAddressSearch
{
    private static readonly IdnMapping Idn = new();

    public Task<IReadOnlyList<uint>> SearchUidsByAddressAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        SearchQuery? query = null;
        foreach (var address in addresses.SelectMany(Forms).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var one = SearchQuery.FromContains(address)
                .Or(SearchQuery.ToContains(address))
                .Or(SearchQuery.CcContains(address))
                .Or(SearchQuery.HeaderContains("Reply-To", address));
            query = query is null ? one : query.Or(one);
        }

        return query is null ? Task.FromResult<IReadOnlyList<uint>>([]) : SearchAsync(query, "UID SEARCH FROM/TO/CC/Reply-To", cancellationToken);
    }

    /// <summary>The address as stored (Unicode domain) and, for an internationalized domain, as headers usually carry it (punycode).</summary>
    private static IEnumerable<string> Forms(string address)
    {
        yield return address;
        var at = address.LastIndexOf('@');
        if (at > 0 && address.AsSpan(at + 1).ContainsAnyExceptInRange('\0', '\x7f'))
        {
            string? ascii = null;
            try
            {
                ascii = string.Concat(address.AsSpan(0, at + 1), Idn.GetAscii(address[(at + 1)..]));
            }
            catch (ArgumentException)
            {
            }

            if (ascii is not null)
                yield return ascii;
        }
    }
}
