using System.CommandLine;
using Mailroom.Core.Messages;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom parse FILE</c>: the MIME tree and the normalized fields of one message.</summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var file = MessageFileArgument.Create();
        var json = CliOptions.Json;
        var command = new Command("parse", "Show the MIME tree and the normalized fields of a message.") { file, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (await MessageFileArgument.ReadAsync(parseResult.GetValue(file)!, cancellationToken) is not { } raw)
                return ExitCodes.NotFound;

            // One reading, as at ingest: the tree shows the parts the attachment list names.
            using var parts = MessageParts.Open(raw);
            var tree = parts.Tree();
            var normalized = parts.Normalize();
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(new { size = raw.Length, tree, message = normalized });
                return ExitCodes.Ok;
            }

            MimeTreePrinter.Print(tree, Console.Out);
            Console.Out.WriteLine();
            MessageFieldsPrinter.Print(normalized, raw.Length, Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }
}
