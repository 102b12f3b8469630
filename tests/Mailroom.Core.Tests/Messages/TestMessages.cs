using System.Reflection;
using System.Text;
using Mailroom.Core.Messages;
using MimeKit;

namespace Mailroom.Core.Tests.Messages;

/// <summary>Builds test messages from readable text and finds the test data folders.</summary>
internal static class TestMessages
{
    /// <summary>The message's bytes: <c>\n</c> becomes CRLF; characters are written as UTF-8 unless told otherwise.</summary>
    public static byte[] Bytes(string text, Encoding? encoding = null) =>
        (encoding ?? Encoding.UTF8).GetBytes(text.ReplaceLineEndings("\r\n"));

    public static NormalizedMessage Normalize(string text, Encoding? encoding = null) =>
        MessageNormalizer.Normalize(Bytes(text, encoding));

    public static MimeMessage Parse(string text, Encoding? encoding = null) =>
        MessageNormalizer.Parse(new MemoryStream(Bytes(text, encoding)));

    /// <summary>The test project's source folder when it is there (a developer's tree or CI), else the output folder.</summary>
    public static string ProjectDirectory
    {
        get
        {
            var fromBuild = typeof(TestMessages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "Mailroom.Tests.ProjectDirectory")?.Value;
            return fromBuild is not null && Directory.Exists(Path.Combine(fromBuild, "Messages", "Golden"))
                ? fromBuild
                : AppContext.BaseDirectory;
        }
    }

    public static string GoldenDirectory => Path.Combine(ProjectDirectory, "Messages", "Golden");
}
