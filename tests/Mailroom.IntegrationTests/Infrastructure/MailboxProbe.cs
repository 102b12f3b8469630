using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Reads a test user's folder independently of Mailroom: the raw copies with a given Message-ID, and their flags.</summary>
public static class MailboxProbe
{
    public static async Task<IReadOnlyList<(byte[] Raw, MessageFlags Flags)>> FindAsync(string user, string folder, string messageId)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, user + "pass");
        var mailFolder = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await mailFolder.OpenAsync(FolderAccess.ReadOnly);
        var result = new List<(byte[], MessageFlags)>();
        foreach (var uid in await mailFolder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId)))
        {
            using var stream = await mailFolder.GetStreamAsync(uid, "");
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            var flags = (await mailFolder.FetchAsync([uid], MessageSummaryItems.Flags))[0].Flags ?? MessageFlags.None;
            result.Add((copy.ToArray(), flags));
        }
        await client.DisconnectAsync(true);
        return result;
    }

    /// <summary>Waits until the folder holds at least one copy (delivery through Postfix and LMTP takes a moment), then a little longer for a second.</summary>
    public static async Task<IReadOnlyList<(byte[] Raw, MessageFlags Flags)>> WaitForAsync(string user, string folder, string messageId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = await FindAsync(user, folder, messageId);
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                // A duplicate would arrive right behind the first: look once more after Postfix's queue has had time.
                await Task.Delay(TimeSpan.FromSeconds(2));
                return await FindAsync(user, folder, messageId);
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Defers (451) or allows a recipient at the test Postfix (scripts/test-env.sh recipient-access).</summary>
    public static async Task SetRecipientAccessAsync(string address, string verdict)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(Doveadm.RepoRoot(), "scripts", "test-env.sh"));
        start.ArgumentList.Add("recipient-access");
        start.ArgumentList.Add(address);
        start.ArgumentList.Add(verdict);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"test-env.sh recipient-access {address} {verdict}: {await error}");
    }

    /// <summary>The delivered copy is the sent bytes below the trace headers Postfix and Dovecot put on top.</summary>
    public static bool EndsWith(byte[] delivered, byte[] sent) => delivered.AsSpan().EndsWith(sent);
}
