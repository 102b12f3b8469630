using Mailroom.Core.Storage;

namespace Mailroom.Server.Cli;

/// <summary>The accounts a command acts on: the one named (by id or name), or all of them.</summary>
internal static class AccountTargets
{
    /// <returns>The accounts, or null when a named account does not exist (the error is already printed).</returns>
    public static async Task<IReadOnlyList<MailboxRecord>?> ResolveAsync(IAccountStore accounts, string? wanted, CancellationToken cancellationToken)
    {
        if (wanted is null)
            return await accounts.ListMailboxesAsync(cancellationToken);
        var one = await accounts.FindMailboxAsync(wanted, cancellationToken);
        if (one is null)
            CliOutput.Error(ExitCodes.NotFound, $"no account '{wanted}'.");
        return one is null ? null : [one];
    }
}
