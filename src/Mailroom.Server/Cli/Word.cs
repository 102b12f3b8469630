namespace Mailroom.Server.Cli;

/// <summary>
/// An enum value read from the command line. Its text is the user's word, so that <c>--help</c> prints
/// <c>[default: tls]</c>, not the member name.
/// </summary>
internal readonly record struct Word<T>(T Value) where T : struct, Enum
{
    public override string ToString() => EnumWords.Of(Value);
}
