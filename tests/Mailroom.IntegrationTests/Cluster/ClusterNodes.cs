using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Cluster;

/// <summary>
/// Three (or more) <c>mailroom serve</c> processes in cluster mode on 127.0.0.1, over one PostgreSQL database, each with
/// its own HTTP, silo and gateway ports and data folder, sharing the key-ring certificate. A node can be killed
/// (SIGKILL) and started again on the same ports.
/// </summary>
internal sealed class ClusterNodes : IDisposable
{
    private readonly string _certificate;
    private readonly string _root = Directory.CreateTempSubdirectory("mailroom-cluster-").FullName;
    private readonly Dictionary<string, string> _extra;
    private readonly List<Node> _nodes = [];

    public ClusterNodes(int count, IDictionary<string, string>? extra = null)
    {
        _certificate = CertificateFile(_root);
        _extra = new Dictionary<string, string>(extra ?? new Dictionary<string, string>());
        for (var i = 0; i < count; i++)
            _nodes.Add(new Node(FreePort(), FreePort(), FreePort(), Path.Combine(_root, "node" + i)));
    }

    /// <summary>The cluster's database (set once it exists: the in-process host next to the nodes creates it).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The settings every process of this cluster (and an in-process host next to it) uses, the database apart.</summary>
    public Dictionary<string, string?> SharedSettings => new()
    {
        ["Cluster:Enabled"] = "true",
        ["Cluster:AdvertisedAddress"] = "127.0.0.1",
        ["Secrets:CertificatePath"] = _certificate,
    };

    public int Count => _nodes.Count;

    public string Url(int node) => $"http://127.0.0.1:{_nodes[node].HttpPort}";

    /// <summary>The prefix of the node's name in the lease table (its silo endpoint; the generation follows the '@').</summary>
    public string OwnerPrefix(int node) => $"127.0.0.1:{_nodes[node].SiloPort}@";

    public bool IsRunning(int node) => _nodes[node].Process is { HasExited: false };

    public void Start(int node)
    {
        var n = _nodes[node];
        var environment = new Dictionary<string, string>(_extra)
        {
            ["MAILROOM__DataPath"] = n.Data,
            ["MAILROOM__Cluster__SiloPort"] = n.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MAILROOM__Cluster__GatewayPort"] = n.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in SharedSettings)
            environment["MAILROOM__" + key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        environment["MAILROOM__Storage__ConnectionString"] = ConnectionString ?? throw new InvalidOperationException("No database yet.");
        n.Process = MailroomProcess.Start(["serve", "--urls", Url(node)], environment: environment);
    }

    /// <summary>kill -9: no shutdown, no lease released, the silo's membership row left as it was.</summary>
    public void Kill(int node)
    {
        _nodes[node].Process!.Kill();
        _nodes[node].Process = null;
    }

    /// <summary>SIGTERM, and waits for the process to end (its mailboxes handed over).</summary>
    public async Task StopAsync(int node)
    {
        var process = _nodes[node].Process!;
        process.Terminate();
        await process.WaitAsync(TimeSpan.FromSeconds(60));
        process.Dispose();
        _nodes[node].Process = null;
    }

    public void AssertAllRunning()
    {
        for (var i = 0; i < _nodes.Count; i++)
            Assert.False(_nodes[i].Process is { HasExited: true }, $"node {i} exited");
    }

    public void Dispose()
    {
        foreach (var n in _nodes)
            n.Process?.Dispose();
        TestSupport.TestArtifacts.DeleteFolder(_root);
    }

    private static string CertificateFile(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Mailroom cluster test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var file = Path.Combine(folder, "keyring.pfx");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pfx));
        return file;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Node(int httpPort, int siloPort, int gatewayPort, string data)
    {
        public int HttpPort { get; } = httpPort;
        public int SiloPort { get; } = siloPort;
        public int GatewayPort { get; } = gatewayPort;
        public string Data { get; } = data;
        public MailroomProcess? Process { get; set; }
    }
}
