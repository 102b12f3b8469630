using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Imap;

namespace Mailroom.Connectors.Imap;

/// <summary>
/// Change announcements: IDLE in one folder (RFC 2177) and, where the server offers NOTIFY (RFC 5465), status
/// updates for every other folder. Announcements are collected as folder paths whenever they arrive, also while
/// other commands run, so none is lost between two waits.
/// </summary>
internal sealed partial class ImapSession
{
    private readonly Lock _changesLock = new();
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly HashSet<IMailFolder> _watched = [];
    private CancellationTokenSource? _waiting;
    private bool _notifyTried;

    public bool WatchesAllFolders { get; private set; }

    public async Task<IReadOnlySet<string>> WaitForChangesAsync(string folder, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        if (_open is not { IsOpen: true } open || !string.Equals(open.FullName, folder, StringComparison.Ordinal))
            await OpenFolderAsync(folder, cancellationToken);
        else
            NoteChangesWhileBusy(open);
        await SetUpNotifyAsync(cancellationToken);

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_changesLock)
        {
            if (_changed.Count > 0)
                return TakeChanged();
            _waiting = done;
        }

        // Stay under the read timeout: the server may say nothing for a whole IDLE (RFC 2177 allows 29 minutes).
        var slice = options.CommandTimeout - TimeSpan.FromSeconds(15);
        done.CancelAfter(slice > TimeSpan.Zero && slice < maxDuration ? slice : maxDuration);
        try
        {
            if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                await client.IdleAsync(done.Token, cancellationToken);
            }
            else
            {
                while (!done.IsCancellationRequested)
                {
                    await client.NoOpAsync(cancellationToken);
                    await Task.Delay(options.PollWithoutIdle, done.Token).ContinueWith(
                        _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw ImapErrors.Classify(ex, $"IDLE in {folder}");
        }
        finally
        {
            lock (_changesLock)
                _waiting = null;
        }

        lock (_changesLock)
            return TakeChanged();
    }

    /// <summary>Subscribes to the change events of listed folders (MailKit keeps one object per folder).</summary>
    private void Watch(IEnumerable<IMailFolder> folders)
    {
        foreach (var folder in folders)
        {
            if (!_watched.Add(folder))
                continue;
            folder.CountChanged += OnChanged;
            folder.UidNextChanged += OnChanged;
            folder.UidValidityChanged += OnChanged;
            folder.HighestModSeqChanged += OnChanged;
            folder.MessageExpunged += OnChanged;
            folder.MessagesVanished += OnChanged;
            folder.MessageFlagsChanged += OnChanged;
        }
    }

    /// <summary>
    /// Called by MailKit inside its response loop: only records and signals, never calls back into the client.
    /// Events of the open folder while the session runs its own commands are ignored (SELECT and FETCH update the
    /// folder's counters themselves); <see cref="NoteChangesWhileBusy"/> compares its state instead.
    /// </summary>
    private void OnChanged(object? sender, EventArgs e)
    {
        if (sender is not IMailFolder folder)
            return;
        lock (_changesLock)
        {
            if (_waiting is null && ReferenceEquals(folder, _open))
                return;
            _changed.Add(folder.FullName);
            _waiting?.Cancel();
        }
    }

    /// <summary>Records the open folder as changed when its state moved since it was selected (mail that arrived mid-sync).</summary>
    private void NoteChangesWhileBusy(IMailFolder open)
    {
        if (_openedAs is { } before && StatusOf(open) != before)
        {
            lock (_changesLock)
                _changed.Add(open.FullName);
        }
    }

    /// <summary>A SELECT reports everything announced before it: earlier announcements for that folder are settled.</summary>
    private void Settle(string path)
    {
        lock (_changesLock)
            _changed.Remove(path);
    }

    private HashSet<string> TakeChanged()
    {
        var changed = new HashSet<string>(_changed, StringComparer.Ordinal);
        _changed.Clear();
        return changed;
    }

    private async Task SetUpNotifyAsync(CancellationToken cancellationToken)
    {
        if (_notifyTried || !options.UseNotify || !client.Capabilities.HasFlag(ImapCapabilities.Notify) || _watched.Count == 0)
            return;
        _notifyTried = true;
        // NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange)) (PERSONAL (MessageNew MessageExpunge FlagChange)):
        // the selected folder as under IDLE, every other personal folder as STATUS responses.
        ImapEvent[] events = [new ImapEvent.MessageNew(MessageSummaryItems.None), ImapEvent.MessageExpunge, ImapEvent.FlagChange];
        try
        {
            await ClassifiedAsync("NOTIFY SET", async () =>
            {
                await client.NotifyAsync(false, [
                    new ImapEventGroup(ImapMailboxFilter.Selected, events),
                    new ImapEventGroup(ImapMailboxFilter.Personal, events),
                ], cancellationToken);
                return true;
            }, cancellationToken);
            WatchesAllFolders = true;
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
        {
            // The server refused this NOTIFY: other folders are polled instead.
        }
    }
}
