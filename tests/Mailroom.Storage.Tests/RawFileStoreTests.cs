using System.Text;
using Mailroom.Core.Identity;

namespace Mailroom.Storage.Tests;

public sealed class RawFileStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mailroom-raw-").FullName;

    [Fact]
    public async Task Bytes_are_stored_once_by_sha256_and_read_back_exactly()
    {
        var store = new RawFileStore(_root);
        var bytes = Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n");
        var sha = MessageIdentity.Sha256Hex(bytes);
        await store.WriteAllAsync([(sha, bytes), (sha, bytes)], TestContext.Current.CancellationToken);
        await store.WriteAllAsync([(sha, bytes)], TestContext.Current.CancellationToken);

        Assert.Equal(bytes, await store.ReadAsync(sha, TestContext.Current.CancellationToken));
        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.Equal(Path.Combine(_root, sha[..2], sha[2..4], sha), Assert.Single(files));

        store.Delete(sha);
        Assert.Null(await store.ReadAsync(sha, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    public async Task Names_that_are_not_a_sha256_are_refused(string name)
    {
        var store = new RawFileStore(_root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadAsync(name, TestContext.Current.CancellationToken));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
