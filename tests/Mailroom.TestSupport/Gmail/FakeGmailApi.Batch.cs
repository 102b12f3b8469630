using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Gmail;

public sealed partial class FakeGmailApi
{
    /// <summary>Google's batch endpoint: multipart/mixed of application/http parts in, the same out, in order.</summary>
    private async Task BatchAsync(HttpContext context, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) || media.MediaType != "multipart/mixed"
            || media.Parameters.FirstOrDefault(p => p.Name == "boundary")?.Value is not { } boundary)
        {
            await WriteAsync(context.Response, 400, Error(400, "batch needs multipart/mixed", "invalidArgument", "INVALID_ARGUMENT"));
            return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        var parts = body.Split("--" + boundary.Trim('"'), StringSplitOptions.None).Skip(1).TakeWhile(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (parts.Count > 100)
        {
            await WriteAsync(context.Response, 400, Error(400, "Too many requests in batch; max 100.", "invalidArgument", "INVALID_ARGUMENT"));
            return;
        }
        var answer = new StringBuilder();
        var outer = "batch_" + Guid.NewGuid().ToString("N");
        foreach (var part in parts)
        {
            var request = part[(part.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
            var line = request[..request.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
            var uri = new Uri("http://x" + line[1]);
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => q.Value.ToArray());
            var (status, json) = Dispatch(line[0], Uri.UnescapeDataString(uri.AbsolutePath), query);
            answer.Append("--").Append(outer).Append("\r\nContent-Type: application/http\r\n\r\n")
                .Append("HTTP/1.1 ").Append(status).Append(status == 200 ? " OK" : " Error").Append("\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n")
                .Append(json).Append("\r\n");
        }
        answer.Append("--").Append(outer).Append("--\r\n");
        context.Response.StatusCode = 200;
        context.Response.ContentType = $"multipart/mixed; boundary={outer}";
        await context.Response.WriteAsync(answer.ToString(), ct);
    }
}
