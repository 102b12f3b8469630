using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole.Account;

/// <summary>
/// Ends the session (a POST with an antiforgery token, so that no other site can sign a user out). The user's security
/// stamp changes too, so a copy of the cookie (a stolen one) stops working at once; the user's other sessions end with it.
/// </summary>
internal sealed class SignOutModel(UserStore users) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.UserId() is { } id)
            await users.RotateStampAsync(id, cancellationToken);
        await HttpContext.SignOutAsync(ConsolePrincipal.Scheme);
        return LocalRedirect("/signin");
    }
}
