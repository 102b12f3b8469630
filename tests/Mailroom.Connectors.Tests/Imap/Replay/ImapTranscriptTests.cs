using System.Text;
using Mailroom.Connectors.Tests.Imap.Sessions;
using Mailroom.TestSupport.Imap;

namespace Mailroom.Connectors.Tests.Imap.Replay;

/// <summary>The recordings themselves: each names its server, date, scenario and command, and holds no password.</summary>
public sealed class ImapTranscriptTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Imap", "Recordings", "dovecot");

    public static TheoryData<string> Recordings() => [.. Directory.GetFiles(Folder, "*.txt").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Each_recording_names_the_server_and_command_that_produced_it(string file)
    {
        var transcript = ImapTranscript.Load(Path.Combine(Folder, file));

        Assert.StartsWith("Dovecot 2.", transcript.Header["server"], StringComparison.Ordinal);
        Assert.Contains("Dovecot", transcript.Header["greeting"], StringComparison.Ordinal);
        Assert.True(DateTime.TryParse(transcript.Header["recorded"], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.NotEmpty(transcript.Header["scenario"]);
        Assert.Contains("MAILROOM_RECORD_IMAP=1 dotnet test", transcript.Header["command"], StringComparison.Ordinal);
        Assert.All(transcript.Connections, c => Assert.Null(c.Exchanges[0].ClientLine));
    }

    [Theory]
    [MemberData(nameof(Recordings))]
    public void No_recording_holds_the_test_password_plain_or_in_base64(string file)
    {
        var text = File.ReadAllText(Path.Combine(Folder, file), Encoding.Latin1);
        var password = DovecotScenarios.User + "pass";
        string[] forms =
        [
            password,
            Convert.ToBase64String(Encoding.ASCII.GetBytes(password)),
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"\0{DovecotScenarios.User}\0{password}")),
        ];
        Assert.All(forms, form => Assert.DoesNotContain(form, text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_transcript_is_read_into_exchanges_with_crlf_replies_and_closing_side()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("transcript").FullName, "t.txt");
        try
        {
            ImapTranscript.Write(path, [new("server", "test")],
            [
                ([new(false, "* OK hello"), new(true, "A00000000 IDLE"), new(false, "+ idling"), new(false, "* 2 EXISTS"),
                  new(true, "DONE"), new(false, "A00000000 OK Idle completed")], true),
            ]);
            var transcript = ImapTranscript.Load(path);

            var script = Assert.Single(transcript.Connections);
            Assert.True(script.ServerCloses);
            Assert.Equal([null, "A00000000 IDLE", "DONE"], script.Exchanges.Select(e => e.ClientLine));
            Assert.Equal("+ idling\r\n* 2 EXISTS\r\n", Encoding.Latin1.GetString(script.Exchanges[1].Reply));
            // DONE is answered with the tag IDLE was sent with.
            var tags = new Dictionary<string, string> { ["A00000000"] = "F00000000" };
            Assert.Equal("F00000000 OK Idle completed\r\n", Encoding.Latin1.GetString(ScriptedImapServer.Rewrite(script.Exchanges[2].Reply, tags)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void An_esearch_reply_names_the_client_tag()
    {
        var reply = Encoding.Latin1.GetBytes("* ESEARCH (TAG \"M00000009\") UID ALL 1,3\r\nM00000009 OK Search completed\r\n");
        var tags = new Dictionary<string, string> { ["M00000009"] = "B00000009" };

        Assert.Equal("* ESEARCH (TAG \"B00000009\") UID ALL 1,3\r\nB00000009 OK Search completed\r\n",
            Encoding.Latin1.GetString(ScriptedImapServer.Rewrite(reply, tags)));
    }
}
