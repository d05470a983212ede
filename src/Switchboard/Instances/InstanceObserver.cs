namespace Switchboard.Instances;

/// <summary>
/// Decides which other instances are dead, from their beats as read over time. An instance is dead when its
/// <see cref="GatewayInstance.Beat"/> has not moved for the owner timeout, measured on this process's own monotonic
/// clock from when this process first saw that beat: no two machines' clocks are ever compared, so clock skew or a
/// wall-clock jump cannot make a live instance look dead. A process that has just started waits a full timeout
/// before it judges anyone.
/// </summary>
internal sealed class InstanceObserver(TimeProvider time, TimeSpan ownerTimeout)
{
    private readonly Dictionary<string, (long Beat, long SeenAt)> _seen = new(StringComparer.Ordinal);

    /// <summary>Takes in the beats read now and returns the instances (with the beat seen) found dead.</summary>
    public List<InstanceBeat> Observe(IReadOnlyList<InstanceBeat> beats, string self)
    {
        var now = time.GetTimestamp();
        var dead = new List<InstanceBeat>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, beat) in beats)
        {
            present.Add(id);
            if (id == self)
            {
                continue;
            }
            if (!_seen.TryGetValue(id, out var seen) || seen.Beat != beat)
            {
                _seen[id] = (beat, now);
            }
            else if (time.GetElapsedTime(seen.SeenAt, now) >= ownerTimeout)
            {
                dead.Add(new InstanceBeat(id, beat));
            }
        }
        foreach (var gone in _seen.Keys.Where(id => !present.Contains(id)).ToList())
        {
            _seen.Remove(gone);
        }
        return dead;
    }
}

internal readonly record struct InstanceBeat(string Id, long Beat);
