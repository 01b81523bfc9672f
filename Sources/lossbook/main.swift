import LossbookCLI

await Lossbook.start()
