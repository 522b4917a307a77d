using AgentGrid.FrontDoor.Identity;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

/// <summary>The bounded cache the front door remembers keys in: least recently used out first, entries that expire.</summary>
public sealed class KeyCacheTests
{
    private static readonly TimeSpan Life = TimeSpan.FromSeconds(5);
    private readonly ManualClock _clock = new();

    [Fact]
    public void At_capacity_adding_drops_only_the_least_recently_used_entry()
    {
        var cache = new LruCache<string, int>(3, _clock);
        cache.Set("a", 1, Life);
        cache.Set("b", 2, Life);
        cache.Set("c", 3, Life);
        Assert.True(cache.TryGet("a", out _));

        cache.Set("d", 4, Life);

        Assert.False(cache.Holds("b"));
        Assert.True(cache.TryGet("a", out var a) && a == 1);
        Assert.True(cache.TryGet("c", out var c) && c == 3);
        Assert.True(cache.TryGet("d", out var d) && d == 4);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Replacing_an_entry_makes_it_recently_used_without_growing_the_cache()
    {
        var cache = new LruCache<string, int>(2, _clock);
        cache.Set("a", 1, Life);
        cache.Set("b", 2, Life);

        cache.Set("a", 10, Life);
        cache.Set("c", 3, Life);

        Assert.True(cache.TryGet("a", out var a) && a == 10);
        Assert.False(cache.Holds("b"));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void An_unknown_key_is_forgotten_after_its_short_life_while_a_known_key_is_still_answered()
    {
        var unknown = new LruCache<string, bool>(10, _clock);
        var known = new LruCache<string, string>(10, _clock);
        unknown.Set("guess", true, TimeSpan.FromSeconds(1));
        known.Set("good", "key_1", Life);

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(unknown.TryGet("guess", out _));
        Assert.True(known.TryGet("good", out var good) && good == "key_1");
    }

    [Fact]
    public void An_expired_entry_is_not_answered_but_is_held_until_it_is_evicted()
    {
        var cache = new LruCache<string, int>(1, _clock);
        cache.Set("a", 1, Life);

        _clock.Advance(Life);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.Holds("a"));
        cache.Set("b", 2, Life);
        Assert.False(cache.Holds("a"));
    }

    [Fact]
    public void Entries_can_be_removed_by_key_or_by_what_they_hold()
    {
        var cache = new LruCache<string, string>(10, _clock);
        cache.Set("h1", "key_a", Life);
        cache.Set("h2", "key_b", Life);
        cache.Set("h3", "key_a", Life);

        cache.RemoveWhere(id => id == "key_a");
        cache.Remove("h2");

        Assert.Equal(0, cache.Count);
    }
}
