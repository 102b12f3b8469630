using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.WebConsole;

/// <summary>
/// The console's stylesheet and script, embedded in the binary and served by Mailroom itself (no CDN, no build step,
/// works offline). Their URLs carry a hash of their content, so they can be cached for good.
/// </summary>
internal static class ConsoleAssets
{
    private static readonly (byte[] Bytes, string Hash) Css = Load("console.css");
    private static readonly (byte[] Bytes, string Hash) Script = Load("console.js");

    public static string CssPath { get; } = $"/assets/console.{Css.Hash}.css";
    public static string ScriptPath { get; } = $"/assets/console.{Script.Hash}.js";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(CssPath, (HttpContext http) => Serve(http, Css.Bytes, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet(ScriptPath, (HttpContext http) => Serve(http, Script.Bytes, "text/javascript; charset=utf-8")).ExcludeFromDescription();
    }

    private static FileContentHttpResult Serve(HttpContext http, byte[] bytes, string type)
    {
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.Bytes(bytes, type);
    }

    private static (byte[], string) Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mailroom.Server.WebConsole.Assets." + name)
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
    }
}
