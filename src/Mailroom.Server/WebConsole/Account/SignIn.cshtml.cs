using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Mailroom.Server.WebConsole.SingleSignOn;

namespace Mailroom.Server.WebConsole.Account;

/// <summary>
/// Name and password sign-in. Over plain HTTP only from loopback (a developer's machine): elsewhere the password
/// would cross the network in clear, so the page refuses and says to use HTTPS.
/// </summary>
internal sealed class SignInModel(ConsoleAccounts accounts, OpenIdSignInOptions openId) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    /// <summary>The OpenID provider's name on the sign-in button; null when single sign-on is not configured.</summary>
    public string? SingleSignOn => openId.Enabled ? openId.DisplayName : null;

    public IActionResult OnGet(string? sso)
    {
        if (User.UserId() is not null)
            return LocalRedirect(Target());
        if (SingleSignOn is { } provider)
            Error = OpenIdRefusals.Text(sso, provider);
        return Page();
    }

    /// <summary>To the OpenID provider (a POST with the antiforgery token, so no other site can start a sign-in).</summary>
    public IActionResult OnPostSso() => openId.Enabled
        ? Challenge(new AuthenticationProperties { RedirectUri = Target() }, OpenIdSignIn.Scheme)
        : NotFound();

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken cancellationToken)
    {
        if (!Request.IsHttps && HttpContext.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            Error = "Sign-in needs HTTPS: serve Mailroom with an https:// URL (see docs/console.md), or sign in on the server itself.";
            return Page();
        }
        var outcome = await accounts.SignInAsync(Name ?? "", password ?? "", cancellationToken);
        if (outcome.User is not { } user)
        {
            Error = outcome.LockedUntil is { } until
                ? $"Too many failed sign-ins: this user is locked until {until.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)}."
                : "Wrong user name or password.";
            return Page();
        }
        var principal = ConsolePrincipal.For(user.Id, user.Name, user.OrganizationId, user.Role, user.SecurityStamp);
        await HttpContext.SignInAsync(ConsolePrincipal.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(Target());
    }

    private string Target() => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/mailboxes";
}
