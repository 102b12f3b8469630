using System.CommandLine;
using Mailroom.Core.Messages;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom parse FILE</c>: the MIME tree and the normalized fields of one message.</summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A message file (.eml, RFC 5322 bytes); '-' reads stdin." };
        var json = CliOptions.Json;
        var command = new Command("parse", "Show the MIME tree and the normalized fields of a message.") { file, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            byte[] raw;
            if (path.Name == "-")
            {
                using var buffer = new MemoryStream();
                await Console.OpenStandardInput().CopyToAsync(buffer, cancellationToken);
                raw = buffer.ToArray();
            }
            else if (!path.Exists)
            {
                return CliOutput.Error(ExitCodes.NotFound, $"no such file: {path.FullName}");
            }
            else
            {
                raw = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            }

            var mime = MessageNormalizer.Parse(new MemoryStream(raw, writable: false));
            var normalized = MessageNormalizer.Normalize(raw);
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(new { size = raw.Length, tree = MimeTreePrinter.Describe(mime), message = normalized });
                return ExitCodes.Ok;
            }

            MimeTreePrinter.Print(mime, Console.Out);
            Console.Out.WriteLine();
            MessageFieldsPrinter.Print(normalized, raw.Length, Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }
}
