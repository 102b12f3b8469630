using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Bulk-loads messages over IMAP (MULTIAPPEND batches): fast enough for thousands of messages.</summary>
public static class ImapLoader
{
    public static async Task AppendAsync(string user, string folderPath, IEnumerable<byte[]> messages)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, user + "pass");
        var folder = folderPath == "INBOX" ? client.Inbox : await client.GetFolderAsync(folderPath);
        foreach (var chunk in messages.Chunk(200))
        {
            var requests = chunk
                .Select(raw => (IAppendRequest)new AppendRequest(MimeMessage.Load(new MemoryStream(raw)), MessageFlags.Seen))
                .ToList();
            await folder.AppendAsync(requests);
        }
        await client.DisconnectAsync(true);
    }
}
