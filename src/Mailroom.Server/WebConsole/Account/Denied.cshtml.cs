using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole.Account;

/// <summary>Where a signed-in member lands on an admin page; answered 403.</summary>
internal sealed class DeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
