using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole.Account;

/// <summary>Ends the session (a POST with an antiforgery token, so that no other site can sign a user out).</summary>
internal sealed class SignOutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsolePrincipal.Scheme);
        return LocalRedirect("/signin");
    }
}
