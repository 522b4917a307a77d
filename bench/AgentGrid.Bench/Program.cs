using AgentGrid.Bench;

// Retrieval quality (and ingestion/search speed) on the Debian FAQ; it takes options of its own.
if (args.SkipWhile(a => a != "--suite").Skip(1).FirstOrDefault() == "retrieval")
{
    return await AgentGrid.Bench.Retrieval.RetrievalBench.RunAsync(args);
}

// The peer suite's floor proxies, started by the bench as processes of their own.
if (args is ["--serve-floor-proxy", var floorMode, var floorPort, var floorUpstream])
{
    return await FloorProxy.ServeAsync(floorMode, int.Parse(floorPort, System.Globalization.CultureInfo.InvariantCulture), floorUpstream);
}

// Through AgentGrid versus straight to the same simulator, at the same concurrency, in one run.
var options = BenchOptions.Parse(args);
Console.WriteLine($"AgentGrid bench: {options}");

if (options.Suite == "routing")
{
    return await RoutingBench.RunAsync(options);
}

if (options.Suite == "packing")
{
    return PackingBench.Run();
}

if (options.Suite == "fanout")
{
    return await FanoutBench.RunAsync(options, args);
}

if (options.Suite == "governance")
{
    return await GovernanceBench.RunAsync(options);
}

await using var host = await BenchHost.StartAsync(options);
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Key);

var errors = 0;
if (options.Suite is "all" or "sessions")
{
    errors += await SessionBench.RunAsync(host, options, http);
}

if (options.Suite is "all" or "streaming")
{
    errors += await StreamingBench.RunAsync(host, options, http);
}

if (options.Suite is "peer")
{
    errors += await PeerBench.RunAsync(host, options, http);
}

if (options.Suite is "soak")
{
    errors += await SoakBench.RunAsync(host, options, http);
}

if (options.Suite is "tools")
{
    errors += await ToolsBench.RunAsync(host, options, http);
}

if (options.Suite is "knowledge")
{
    errors += await KnowledgeBench.RunAsync(host, options, http);
}

return errors == 0 ? 0 : 1;
