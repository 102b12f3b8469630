namespace Mailroom.Core.Sending;

/// <summary>
/// The policy outgoing HTML passes through before it is composed (DESIGN §3: the same rules apply to HTML that users
/// send). The email sanitizer implements it; until then <see cref="UnchangedHtmlPolicy"/> sends HTML as written.
/// </summary>
public interface IHtmlPolicy
{
    string Apply(string html);
}
