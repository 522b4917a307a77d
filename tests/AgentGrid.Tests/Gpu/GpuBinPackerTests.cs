using AgentGrid.Grains.Gpu;

namespace AgentGrid.Tests.Gpu;

public sealed class GpuBinPackerTests
{
    private static Dictionary<string, IReadOnlyList<(int Index, long FreeMiB)>> Nodes(params (string Node, long[] Free)[] nodes) =>
        nodes.ToDictionary(n => n.Node, n => (IReadOnlyList<(int, long)>)[.. n.Free.Select((f, i) => (i, f))]);

    [Fact]
    public void Best_fit_picks_the_gpu_that_leaves_least_room()
    {
        var choice = GpuBinPacker.Place(Nodes(("big", [81920]), ("small", [24576])), perGpuMiB: 20480, gpuCount: 1);

        Assert.Equal("small", choice!.NodeId);
        Assert.Equal([0], choice.GpuIndexes);
    }

    [Fact]
    public void Multi_gpu_model_takes_gpus_of_one_node_only()
    {
        // Two nodes with one fitting GPU each cannot hold a two-GPU model; the node with two can.
        var choice = GpuBinPacker.Place(Nodes(("a", [81920, 1024]), ("b", [81920, 1024]), ("c", [40960, 81920, 40960])), 40960, 2);

        Assert.Equal("c", choice!.NodeId);
        Assert.Equal([0, 2], choice.GpuIndexes);
    }

    [Fact]
    public void Nothing_fits_gives_no_choice()
    {
        Assert.Null(GpuBinPacker.Place(Nodes(("a", [40960, 40960])), 61440, 1));
        Assert.Null(GpuBinPacker.Place(Nodes(("a", [81920])), 10240, 2));
    }

    [Fact]
    public void Only_the_requested_node_is_considered()
    {
        var choice = GpuBinPacker.Place(Nodes(("a", [24576]), ("b", [81920])), 20480, 1, onlyNode: "b");

        Assert.Equal("b", choice!.NodeId);
    }
}
