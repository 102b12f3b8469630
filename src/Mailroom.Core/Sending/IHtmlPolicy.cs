namespace Mailroom.Core.Sending;

/// <summary>
/// The policy outgoing HTML passes through before it is composed (DESIGN §3: the same rules apply to HTML that users
/// send). <see cref="Html.EmailHtmlSanitizer"/> implements it.
/// </summary>
public interface IHtmlPolicy
{
    string Apply(string html);
}
