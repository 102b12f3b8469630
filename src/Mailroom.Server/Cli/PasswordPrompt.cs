using System.Text;

namespace Mailroom.Server.Cli;

/// <summary>Asks for a password on the terminal without echoing it. Returns null when there is no terminal.</summary>
internal static class PasswordPrompt
{
    public static string? Read(string prompt)
    {
        if (Console.IsInputRedirected)
            return null;
        Console.Error.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                    password.Length--;
                continue;
            }
            password.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return password.ToString();
    }
}
