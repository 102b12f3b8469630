using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole;

/// <summary>
/// A console page that answers a person's action: a notice that survives the redirect after a POST (TempData), and an
/// error shown on the page itself. Both are rendered by <c>Shared/_Notices.cshtml</c>.
/// </summary>
internal abstract class ConsolePageModel : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; protected set; }
}
