using AgentGrid.Grains.Gpu;

namespace AgentGrid.Tests.Gpu;

public sealed class NvidiaSmiParserTests
{
    // The query behind the captured query-gpu*.csv files (see TestData/nvidia-smi).
    private static readonly string[] CapturedQuery =
        ["index", "name", "uuid", "memory.total", "memory.used", "memory.free", "utilization.gpu", "utilization.memory",
         "temperature.gpu", "power.draw", "power.limit", "driver_version", "pci.bus_id"];

    private static string Captured(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "nvidia-smi", file));

    [Fact]
    public void Idle_h100_is_read_with_its_name_uuid_and_memory()
    {
        var result = NvidiaSmiParser.Parse(Captured("query-gpu.csv"), CapturedQuery);

        Assert.Empty(result.Problems);
        var gpu = Assert.Single(result.Gpus);
        Assert.Equal(0, gpu.Index);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpu.Name);
        Assert.Equal("GPU-d2e14f23-4514-abf7-f137-c9a6cf9cbc82", gpu.Uuid);
        Assert.Equal(81559, gpu.TotalMiB);
        Assert.Equal(0, gpu.UsedMiB);
        Assert.Equal(81079, gpu.FreeMiB);
        Assert.Equal(0, gpu.UtilizationPercent);
    }

    [Fact]
    public void Busy_h100_reports_the_memory_another_process_holds()
    {
        var gpu = Assert.Single(NvidiaSmiParser.Parse(Captured("query-gpu-busy.csv"), CapturedQuery).Gpus);

        Assert.Equal(30775, gpu.UsedMiB);
        Assert.Equal(50305, gpu.FreeMiB);
        Assert.Equal(100, gpu.UtilizationPercent);
    }

    [Fact]
    public void Output_with_a_header_and_units_is_read_by_the_header_columns()
    {
        var result = NvidiaSmiParser.Parse(Captured("query-gpu-header.csv"));

        Assert.Empty(result.Problems);
        var gpu = Assert.Single(result.Gpus);
        Assert.Equal((81559L, 0L, 81079L, 0), (gpu.TotalMiB, gpu.UsedMiB, gpu.FreeMiB, gpu.UtilizationPercent!.Value));
        Assert.Null(gpu.Uuid);
    }

    [Fact]
    public void Query_of_agentgrid_reads_several_gpus_and_missing_values()
    {
        var output = """
            0, NVIDIA A100-SXM4-40GB, GPU-aaa, 40960, 1024, 39936, 12
            1, NVIDIA A100-SXM4-40GB, GPU-bbb, 40960, [N/A], [N/A], [Not Supported]
            """;

        var result = NvidiaSmiParser.Parse(output);

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Gpus.Count);
        Assert.Equal((40960L, 0L, 40960L), (result.Gpus[1].TotalMiB, result.Gpus[1].UsedMiB, result.Gpus[1].FreeMiB));
        Assert.Null(result.Gpus[1].UtilizationPercent);
    }

    [Fact]
    public void Lines_that_cannot_be_read_are_reported_not_guessed()
    {
        var output = """
            0, NVIDIA H100 80GB HBM3, GPU-x, 81559, 0, 81079, 0
            garbage
            1, NVIDIA H100 80GB HBM3, GPU-y, lots, 0, 81079, 0
            """;

        var result = NvidiaSmiParser.Parse(output);

        Assert.Single(result.Gpus);
        Assert.Equal(2, result.Problems.Count);
        Assert.Contains("line 2", result.Problems[0]);
        Assert.Contains("line 3", result.Problems[1]);
    }

    [Fact]
    public void Empty_output_means_no_gpus()
    {
        var result = NvidiaSmiParser.Parse("");

        Assert.Empty(result.Gpus);
        Assert.Empty(result.Problems);
    }
}
