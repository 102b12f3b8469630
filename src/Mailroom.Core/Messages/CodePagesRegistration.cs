using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Mailroom.Core.Messages;

/// <summary>
/// Registers the code-page encodings as soon as Mailroom.Core is loaded. MimeKit remembers a charset it could not
/// find for the life of the process, so ISO-2022-JP, KOI8-R or GB18030 headers stay undecoded forever if MimeKit
/// looks one up before the provider is registered; doing it at module load wins that race in every host.
/// </summary>
internal static class CodePagesRegistration
{
    [ModuleInitializer]
    [SuppressMessage(
        "Usage",
        "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The registration must precede any MimeKit charset lookup in the process; a library entry point is too late.")]
    internal static void Register() => Charsets.EnsureRegistered();
}
