import os
print(os.environ["WURZEL_INPUT_DIRS"])
