using System.CommandLine;

namespace Mailroom.Server.Cli;

/// <summary>The FILE argument of <c>parse</c> and <c>render</c>: one message's RFC 5322 bytes, or stdin for '-'.</summary>
internal static class MessageFileArgument
{
    public static Argument<FileInfo> Create() =>
        new("FILE") { Description = "A message file (.eml, RFC 5322 bytes); '-' reads stdin." };

    /// <summary>The message's bytes, or null (after saying so on stderr) when the file does not exist.</summary>
    public static async Task<byte[]?> ReadAsync(FileInfo path, CancellationToken cancellationToken)
    {
        if (path.Name == "-")
        {
            using var buffer = new MemoryStream();
            await Console.OpenStandardInput().CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        if (!path.Exists)
        {
            CliOutput.Error(ExitCodes.NotFound, $"no such file: {path.FullName}");
            return null;
        }
        return await File.ReadAllBytesAsync(path.FullName, cancellationToken);
    }
}
