using System.CommandLine;
using System.CommandLine.Parsing;

namespace Mailroom.Server.Cli;

/// <summary>
/// Options whose value is an enum, typed as users type it: the lower-case words of <see cref="EnumWords"/>
/// (<c>tls|starttls|none</c>) in parsing, in <c>--help</c> (names and defaults) and in shell completions, never the
/// member names.
/// </summary>
internal static class WordOption
{
    public static Option<Word<T>> Create<T>(string name, string description, T defaultValue) where T : struct, Enum
    {
        var option = new Option<Word<T>>(name)
        {
            Description = description,
            DefaultValueFactory = _ => new(defaultValue),
            CustomParser = r => new(Parse(r, name, defaultValue)),
        };
        return Words<T, Option<Word<T>>>(option);
    }

    /// <summary>An option that may be left out (null), like <c>--smtp-security</c>, which defaults to another option's value.</summary>
    public static Option<T?> CreateOptional<T>(string name, string description) where T : struct, Enum
    {
        var option = new Option<T?>(name)
        {
            Description = description,
            CustomParser = r => Parse<T>(r, name, default),
        };
        return Words<T, Option<T?>>(option);
    }

    private static TOption Words<T, TOption>(TOption option) where T : struct, Enum where TOption : Option
    {
        option.HelpName = EnumWords.HelpName<T>();
        option.CompletionSources.Clear();
        option.CompletionSources.Add(EnumWords.All<T>().ToArray());
        return option;
    }

    private static T Parse<T>(ArgumentResult result, string name, T fallback) where T : struct, Enum
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (EnumWords.TryParse<T>(text, out var value))
            return value;
        result.AddError($"{name} must be {EnumWords.Choices<T>()} (was '{text}').");
        return fallback;
    }
}
