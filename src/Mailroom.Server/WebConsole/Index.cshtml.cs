using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole;

/// <summary>The console's front door: the mailboxes (signing in first when needed).</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/mailboxes");
}
