using Mailroom.Server.Cli;

return await MailroomCli.Build().Parse(args).InvokeAsync();
