using System.CommandLine;

namespace Mailroom.Server.Cli;

/// <summary>The <c>mailroom</c> command tree.</summary>
internal static class MailroomCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Mailroom: connect mailboxes, sync them into a database, and serve them to your application.");
        root.Options.Add(CliOptions.Data);
        root.Options.Add(CliOptions.Db);
        root.Subcommands.Add(ParseCommand.Create());
        root.Subcommands.Add(DiscoverCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(AccountCommand.Create());
        root.Subcommands.Add(SyncCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ThreadsCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(OutboxCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ContactCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ApiKeyCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        return root;
    }
}
