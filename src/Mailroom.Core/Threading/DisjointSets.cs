namespace Mailroom.Core.Threading;

/// <summary>Union-find with path halving and union by size.</summary>
internal sealed class DisjointSets
{
    private readonly List<int> _parent;
    private readonly List<int> _size;

    public DisjointSets(int count)
    {
        _parent = new List<int>(count + 16);
        _size = new List<int>(count + 16);
        for (var i = 0; i < count; i++)
            Add();
    }

    public int Add()
    {
        _parent.Add(_parent.Count);
        _size.Add(1);
        return _parent.Count - 1;
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    public void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b)
            return;
        if (_size[a] < _size[b])
            (a, b) = (b, a);
        _parent[b] = a;
        _size[a] += _size[b];
    }
}
